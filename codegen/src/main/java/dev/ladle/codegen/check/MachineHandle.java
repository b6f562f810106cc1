package dev.ladle.codegen.check;

import java.lang.reflect.Method;

/**
 * A generated machine driven by reflection, so checkers work on any spec's machine without compile-time
 * knowledge of it (the generated classes depend on nothing, not even this module).
 */
public final class MachineHandle {
    private final Object machine;
    private final Method init;
    private final Method step;
    private final Method invariant;
    private final Method typeOK;
    private final Method copyStateTo;
    private final Method copyStateFrom;
    private final int stateSize;
    private final String[] variables;
    private final String[] actions;
    private final String[] invariants;

    /** A handle on a machine already built (from its named Config). */
    public MachineHandle(Object machine) {
        this(machine, machine.getClass());
    }

    /** A machine built from its Config, whose record components are the given values in order. */
    public MachineHandle(Class<?> machineClass, int... constants) {
        this(build(machineClass, constants), machineClass);
    }

    private static Object build(Class<?> machineClass, int... constants) {
        try {
            java.lang.reflect.Constructor<?> ctor = null;
            for (java.lang.reflect.Constructor<?> c : machineClass.getConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0].isRecord()) {
                    ctor = c;
                }
            }
            if (ctor == null) {
                throw new NoSuchMethodException("a constructor taking the generated Config");
            }
            Class<?> configClass = ctor.getParameterTypes()[0];
            var components = configClass.getRecordComponents();
            if (components.length != constants.length) {
                throw new IllegalArgumentException(configClass.getSimpleName() + " has " + components.length
                        + " constants, not " + constants.length);
            }
            Class<?>[] types = new Class<?>[constants.length];
            Object[] args = new Object[constants.length];
            for (int i = 0; i < constants.length; i++) {
                types[i] = int.class;
                args[i] = constants[i];
            }
            Object config = configClass.getConstructor(types).newInstance(args);
            return ctor.newInstance(config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("not a generated machine: " + machineClass, e);
        }
    }

    private MachineHandle(Object machine, Class<?> machineClass) {
        this.machine = machine;
        try {
            init = machineClass.getMethod("init");
            step = machineClass.getMethod("step", int.class, int[].class);
            invariant = machineClass.getMethod("invariant", int.class);
            typeOK = machineClass.getMethod("typeOK");
            copyStateTo = machineClass.getMethod("copyStateTo", int[].class);
            copyStateFrom = machineClass.getMethod("copyStateFrom", int[].class);
            stateSize = (Integer) machineClass.getMethod("stateSize").invoke(machine);
            variables = (String[]) machineClass.getField("VARIABLES").get(null);
            actions = (String[]) machineClass.getField("ACTIONS").get(null);
            invariants = (String[]) machineClass.getField("INVARIANTS").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("not a generated machine: " + machineClass, e);
        }
    }

    public Object machine() {
        return machine;
    }

    public void init() {
        call(init);
    }

    /** Runs one action; returns the Guard constant's name ("OK" when applied). */
    public String step(int action, int[] args) {
        return ((Enum<?>) call(step, action, args)).name();
    }

    public boolean invariant(int index) {
        return (Boolean) call(invariant, index);
    }

    public boolean typeOK() {
        return (Boolean) call(typeOK);
    }

    /** A copy of the whole state (constant data and variables), as the machine's copyStateTo writes it. */
    public int[] memory() {
        int[] words = new int[stateSize];
        call(copyStateTo, (Object) words);
        return words;
    }

    public void copyStateFrom(int[] words) {
        call(copyStateFrom, (Object) words);
    }

    public String[] variables() {
        return variables.clone();
    }

    public String[] actions() {
        return actions.clone();
    }

    public String[] invariants() {
        return invariants.clone();
    }

    private Object call(Method m, Object... args) {
        try {
            return m.invoke(machine, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
