package dev.ladle.codegen.check;

import java.lang.reflect.Field;
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
    private final Object state;
    private final int[] mem;
    private final int[] offsets;
    private final String[] variables;
    private final String[] actions;
    private final String[] invariants;
    private final String[] data;
    private final Method setData;

    public MachineHandle(Class<?> machineClass, int... constants) {
        try {
            Class<?>[] types = new Class<?>[constants.length];
            Object[] args = new Object[constants.length];
            for (int i = 0; i < constants.length; i++) {
                types[i] = int.class;
                args[i] = constants[i];
            }
            machine = machineClass.getConstructor(types).newInstance(args);
            init = machineClass.getMethod("init");
            step = machineClass.getMethod("step", int.class, int[].class);
            invariant = machineClass.getMethod("invariant", int.class);
            typeOK = machineClass.getMethod("typeOK");
            state = machineClass.getField("state").get(machine);
            mem = (int[]) state.getClass().getField("mem").get(state);
            offsets = (int[]) state.getClass().getMethod("offsets").invoke(state);
            variables = (String[]) machineClass.getField("VARIABLES").get(null);
            actions = (String[]) machineClass.getField("ACTIONS").get(null);
            invariants = (String[]) machineClass.getField("INVARIANTS").get(null);
            data = (String[]) machineClass.getField("DATA").get(null);
            setData = machineClass.getMethod("setData", int.class, int[].class);
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

    /** The live state words (not a copy). */
    public int[] memory() {
        return mem;
    }

    public int[] offsets() {
        return offsets.clone();
    }

    public String[] variables() {
        return variables.clone();
    }

    public String[] actions() {
        return actions.clone();
    }

    public String[] data() {
        return data.clone();
    }

    public void setData(int index, int[] words) {
        call(setData, index, words);
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

    static Field field(Object o, String name) throws NoSuchFieldException {
        return o.getClass().getField(name);
    }
}
