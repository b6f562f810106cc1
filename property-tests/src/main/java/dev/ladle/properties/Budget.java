package dev.ladle.properties;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Optional;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sizes every property's run from two system properties, so that {@code mvn test} runs a bounded number of tries
 * and {@code ladle test --long} many more, and {@code --seed} replays one run: {@code ladle.test.scale} multiplies
 * the tries the property declares, {@code ladle.test.seed} fixes jqwik's seed. It also records each property's
 * outcome in {@link Tally}.
 */
public final class Budget implements AroundPropertyHook {
    public static final String SCALE = "ladle.test.scale";
    public static final String SEED = "ladle.test.seed";

    /**
     * The least number of tries a property runs in a long run ({@code ladle test --long}), whatever its scaled
     * tries: the floors (10,000 crash points for recovery) are stated here, beside the property.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface LongTries {
        int value();
    }

    /** The scale factor of the tries ({@code 1} in CI). */
    public static int scale() {
        return Math.max(1, Integer.getInteger(SCALE, 1));
    }

    /** Registered on a properties class, the hook reaches every property in it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return element.map(e -> e instanceof Method).orElse(false);
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String name = context.targetMethod().getName();
        int tries = context.attributes().tries().orElse(100);
        // an @Example runs once at any scale; a property of one try (a walk) is scaled like any other
        if (!context.targetMethod().isAnnotationPresent(net.jqwik.api.Example.class)) {
            int scaled = tries * scale();
            LongTries floor = context.targetMethod().getAnnotation(LongTries.class);
            if (floor != null && scale() > 1) {
                scaled = Math.max(scaled, floor.value());
            }
            context.attributes().setTries(scaled);
        }
        String seed = System.getProperty(SEED);
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed);
        }
        Tally.start(name);
        PropertyExecutionResult result = property.execute();
        Tally.finish(name, result);
        return result;
    }
}
