package dev.stripeflare.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures what one class logs. {@link System.Logger} goes to java.util.logging by default, so a
 * JUL handler on the class's logger sees every line at every level, formatted as it would be.
 */
final class CapturedLog implements AutoCloseable {
    /** One line: its JUL level and its formatted message. */
    record Line(Level level, String message, Throwable thrown) {
    }

    private final Logger logger;
    private final Level previousLevel;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            lines.add(new Line(record.getLevel(), formatter.formatMessage(record), record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    CapturedLog(Class<?> loggingClass) {
        logger = Logger.getLogger(loggingClass.getName());
        previousLevel = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines at WARNING (System.Logger's WARNING). */
    List<Line> warnings() {
        return lines.stream().filter(line -> line.level() == Level.WARNING).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
