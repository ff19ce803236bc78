package dev.stripeflare.spring.autoconfigure;

import dev.stripeflare.Wallet;
import dev.stripeflare.servlet.FilterSettings;
import dev.stripeflare.servlet.StripeflareFilter;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@link StripeflareFilter} in a servlet web application, on
 * {@code stripeflare.filter.url-patterns} (default {@code /*}) for REQUEST and ASYNC dispatches,
 * async-supported, with {@link FilterSettings} from {@code stripeflare.path-prefix},
 * {@code stripeflare.checkout-landing-path} and {@code stripeflare.cookie.*}. Off with
 * {@code stripeflare.filter.enabled=false}; each bean backs off when the application has its own.
 */
@AutoConfiguration(after = StripeflareAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({StripeflareFilter.class, FilterRegistrationBean.class})
@ConditionalOnBean(Wallet.class)
@ConditionalOnProperty(prefix = "stripeflare.filter", name = "enabled", havingValue = "true", matchIfMissing = true)
public class StripeflareServletAutoConfiguration {

    /** The filter's settings from the properties; malformed values fail start-up. */
    @Bean
    @ConditionalOnMissingBean
    public FilterSettings stripeflareFilterSettings(StripeflareProperties properties) {
        FilterSettings settings = FilterSettings.production()
                .withPathPrefix(properties.getPathPrefix())
                .withCheckoutLandingPath(properties.getCheckoutLandingPath())
                .withDevelopmentCookies(properties.getCookie().isDevelopment());
        if (properties.getCookie().getDomain() != null) {
            settings = settings.withCookieDomain(properties.getCookie().getDomain());
        }
        return settings;
    }

    /** The filter over the wallet. */
    @Bean
    @ConditionalOnMissingBean
    public StripeflareFilter stripeflareFilter(Wallet wallet, FilterSettings settings) {
        return new StripeflareFilter(wallet, settings);
    }

    /** The filter's registration on its paths. */
    @Bean
    @ConditionalOnMissingBean(name = "stripeflareFilterRegistration")
    public FilterRegistrationBean<StripeflareFilter> stripeflareFilterRegistration(StripeflareFilter filter,
                                                                                  StripeflareProperties properties) {
        FilterRegistrationBean<StripeflareFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("stripeflareFilter");
        registration.setUrlPatterns(properties.getFilter().getUrlPatterns());
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.setAsyncSupported(true);
        registration.setOrder(properties.getFilter().getOrder());
        return registration;
    }
}
