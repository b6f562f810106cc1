package dev.ladle.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ladle.kernel.Abi;
import dev.ladle.kernel.Machine;
import dev.ladle.kernel.hw.Reg;
import org.junit.jupiter.api.Test;

/**
 * Each row of {@code ladle bench ipc} once, outside JMH: a row that throws is a benchmark JMH would report without a
 * result (the machine row did, when the kernel's peek array grew a field).
 */
class IpcBenchTest {
    @Test
    void everyRowDeliversTheSixWords() throws Exception {
        IpcBench b = new IpcBench();
        b.setUp();
        b.trapSendReceive();
        assertEquals(Abi.OK, b.receiver.get(Reg.EAX) & 0xff, "the trap entry's receive");
        assertEquals(0, b.receiver.get(Reg.EBX), "the first word sent");

        b.machineSendReceive();
        assertEquals(
                1, b.oldest[Machine.PEEK_WORDS], "the machine's oldest message holds the second send's first word");
        assertEquals(b.a.id(), b.oldest[Machine.PEEK_FROM]);

        b.handTrapSendReceive();
        assertEquals(2, b.receiver.get(Reg.EBX), "the hand-written trap's receive");

        b.ringBufferSendReceive();
        assertEquals(3, b.receiver.get(Reg.EBX), "the ring buffer's receive");
    }
}
