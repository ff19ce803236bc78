/** The Spring Boot example: one paid endpoint on the starter. */
package dev.stripeflare.examples.spring;
