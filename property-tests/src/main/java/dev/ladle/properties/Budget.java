package dev.ladle.properties;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;

/**
 * Sizes every property's run from two system properties, so that {@code mvn test} runs a bounded number of tries
 * and {@code ladle test --long} many more, and {@code --seed} replays one run: {@code ladle.test.scale} multiplies
 * the tries the property declares, {@code ladle.test.long} applies the floors of a long run ({@link LongTries}),
 * {@code ladle.test.seed} fixes jqwik's seed. It also records each property's outcome in {@link Tally}.
 */
public final class Budget implements AroundPropertyHook, AroundTryHook {
    public static final String SCALE = "ladle.test.scale";
    public static final String SEED = "ladle.test.seed";

    /** Set ({@code true}) for a long run, {@code ladle test --long}: the floors of {@link LongTries} apply. */
    public static final String LONG = "ladle.test.long";

    /**
     * The least number of tries a property runs in a long run ({@code ladle test --long}), whatever its scaled
     * tries: the floors are stated here, beside the property. With {@link #counter()} the floor is a figure
     * the long run must reach (10,000 crash points, 1,000,000 adversarial syscalls): the tries are chosen to reach it,
     * the summary prints the figure beside its target, and a long run that falls short of it fails.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface LongTries {
        int value();

        /** The counter ({@link Tally}) the figure is about; none when empty. */
        String counter() default "";

        /** The least value of {@link #counter()} a long run reaches. */
        long atLeast() default 0;
    }

    /** The scale factor of the tries ({@code 1} in CI). */
    public static int scale() {
        return Math.max(1, Integer.getInteger(SCALE, 1));
    }

    /** Whether this is a long run ({@code ladle test --long}). */
    public static boolean longRun() {
        return Boolean.getBoolean(LONG);
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
            if (floor != null && longRun()) {
                scaled = Math.max(scaled, floor.value());
                if (!floor.counter().isEmpty()) {
                    Tally.target(name, floor.counter(), floor.atLeast());
                }
            }
            context.attributes().setTries(scaled);
        }
        String seed = System.getProperty(SEED);
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed);
        }
        Tally.start(name);
        PropertyExecutionResult result = property.execute();
        Tally.finish(name, result, context.targetMethod().getParameters());
        return result;
    }

    /**
     * Counts each try; a run of more tries than the bounded one prints its progress (tries so far and the counters)
     * to standard error once a minute, so that a long run stopped early has said how far it came.
     */
    @Override
    public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters) {
        TryExecutionResult result = aTry.execute(parameters);
        Tally.tried(scale() > 1 || longRun());
        return result;
    }
}
