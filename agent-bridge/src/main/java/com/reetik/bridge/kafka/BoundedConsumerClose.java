package com.reetik.bridge.kafka;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.kafka.core.ConsumerPostProcessor;

/**
 * Bounds how long a listener's consumer may take to close when its container stops.
 *
 * <p>Spring Kafka closes a container's consumer with {@link Consumer#close()}, which waits up to Kafka's default of
 * 30 s for the group coordinator's pending answers. One of them can be a JoinGroup that the coordinator holds until
 * every member has rejoined, for as long as the rebalance timeout ({@code max.poll.interval.ms}, 15 minutes here):
 * when a bridge stops while its second consumer of a group is still joining (seen: {@code generate} of a video
 * that failed in its first seconds took 30 s more to exit), the close waits the whole 30 s for an answer that
 * does not matter any more. Neither Spring Kafka nor Kafka has a setting for that timeout, hence this wrapper: it
 * turns the argument-less {@code close()} into {@code close(CloseOptions.timeout(…))} and passes every other call
 * through. Nothing is lost by closing sooner: offsets are committed in each record's transaction, not at close.
 */
final class BoundedConsumerClose<K, V> implements ConsumerPostProcessor<K, V> {

    private final Duration timeout;

    BoundedConsumerClose(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Consumer<K, V> apply(Consumer<K, V> consumer) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                if (isArgumentLessClose(method)) {
                    consumer.close(CloseOptions.timeout(timeout));
                    return null;
                }
                return method.invoke(consumer, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Consumer<K, V>) Proxy.newProxyInstance(Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class},
                handler);
    }

    private static boolean isArgumentLessClose(Method method) {
        return "close".equals(method.getName()) && method.getParameterCount() == 0;
    }
}
