package dev.ladle.kernel.fake;

import dev.ladle.kernel.Abi;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/** Fake instructions for {@link FakePlatform} programs. Each advances EIP like the real one would. */
public final class Programs {
    private Programs() {}

    /** A system call: {@code setup} fills the registers, then {@code int 0x30}. */
    public static FakePlatform.Insn sys(int op, int operand, Consumer<RegisterFile> setup) {
        return (regs, space) -> {
            setup.accept(regs);
            regs.set(Reg.EAX, op | operand << 8);
            next(regs);
            return new Stop.Trap(Abi.SYSCALL_VECTOR);
        };
    }

    public static FakePlatform.Insn sys(int op, int operand) {
        return sys(op, operand, r -> {});
    }

    /** Changes registers only (computation). */
    public static FakePlatform.Insn compute(Consumer<RegisterFile> effect) {
        return (regs, space) -> {
            effect.accept(regs);
            next(regs);
            return null;
        };
    }

    /** Writes a word at an address computed from the registers; faults without advancing when unmapped. */
    public static FakePlatform.Insn store(ToIntFunction<RegisterFile> address, ToIntFunction<RegisterFile> value) {
        return (regs, space) -> {
            var r = space.write32(address.applyAsInt(regs), value.applyAsInt(regs));
            if (!r.ok()) {
                return new Stop.Fault(r.fault());
            }
            next(regs);
            return null;
        };
    }

    /** Reads a word into {@code into}; faults without advancing when unmapped. */
    public static FakePlatform.Insn load(ToIntFunction<RegisterFile> address, Reg into) {
        return (regs, space) -> {
            var r = space.read32(address.applyAsInt(regs));
            if (!r.ok()) {
                return new Stop.Fault(r.fault());
            }
            regs.set(into, r.value());
            next(regs);
            return null;
        };
    }

    /** Jumps to instruction {@code index}. */
    public static FakePlatform.Insn jump(int index) {
        return (regs, space) -> {
            regs.set(Reg.EIP, FakePlatform.ENTRY + index);
            return null;
        };
    }

    /** An instruction the CPU cannot execute. */
    public static FakePlatform.Insn bad() {
        return (regs, space) -> new Stop.BadInstruction(regs.get(Reg.EIP), "invalid opcode");
    }

    /** {@code int} with another vector. */
    public static FakePlatform.Insn interrupt(int vector) {
        return (regs, space) -> {
            next(regs);
            return new Stop.Trap(vector);
        };
    }

    private static void next(RegisterFile regs) {
        regs.set(Reg.EIP, regs.get(Reg.EIP) + 1);
    }
}
