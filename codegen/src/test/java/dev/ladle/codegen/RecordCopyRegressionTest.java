package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.InProcessCompiler;
import dev.ladle.codegen.check.MachineHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The regression spec regress/RecordCopy.tla (its header says what it covers) against TLC, in its own JVM, and the
 * bulk reader of a record ({@code copyBox(i, j, into, offset)}) word for word against the per-leaf readers on every
 * state of a random walk, overflows included.
 */
class RecordCopyRegressionTest extends DifferentialTestBase {
    private static final int MIN = Integer.MIN_VALUE;
    private static final int MAX = Integer.MAX_VALUE;

    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "RecordCopy", 3_000);
        report.appliedPerAction().forEach((a, k) -> assertTrue(k > 0, () -> a + " never applied\n" + report.table()));
        // words[2] + x and -x overflowed: TLC stopped, and the machine raised each time (else run() disagrees)
        assertTrue(report.tlcErrors() > 20, report::table);
    }

    @Test
    void theCopyOfARecordIsItsLeavesAsTheReadersReadThem() throws Exception {
        Generator.Result r = Generator.generate(REGRESS.resolve("RecordCopy.tla"), "fixture");
        assertTrue(r.ok(), () -> r.errors().toString());
        ClassLoader loader = InProcessCompiler.compile(r.files());
        Class<?> c = loader.loadClass(Generator.packageFor("fixture", "RecordCopy") + ".RecordCopyMachine");
        // Ids = {0, 1}, NoId = -1
        MachineHandle h = new MachineHandle(c, 2, 0, -1);
        h.init();
        Object m = h.machine();
        int length = c.getField("BOX_LENGTH").getInt(null);
        assertEquals(8, length, "from, n, three words, ok, the item's kind and slot");
        int from = c.getField("BOX_FROM").getInt(null);
        int n = c.getField("BOX_N").getInt(null);
        int words = c.getField("BOX_WORDS").getInt(null);
        int ok = c.getField("BOX_OK").getInt(null);
        int kind = c.getField("BOX_ITEM_KIND").getInt(null);
        int slot = c.getField("BOX_ITEM_SLOT").getInt(null);
        Method copy = c.getMethod("copyBox", int.class, int.class, int[].class, int.class);
        Method rFrom = c.getMethod("boxFrom", int.class, int.class);
        Method rN = c.getMethod("boxN", int.class, int.class);
        Method rWords = c.getMethod("boxWords", int.class, int.class, int.class);
        Method rOk = c.getMethod("boxOk", int.class, int.class);
        Method rKind = c.getMethod("boxItemKind", int.class, int.class);
        Method rSlot = c.getMethod("boxItemSlot", int.class, int.class);
        assertThrows(NoSuchMethodException.class, () -> c.getMethod("copyTag", int.class, int[].class, int.class));
        int[] xs = {0, 1, -1, MAX, MIN};
        Random random = new Random(20261128L);
        int raised = 0;
        int[] into = new int[length + 3];
        for (int step = 0; step < 3_000; step++) {
            int i = random.nextInt(2);
            int j = 1 + random.nextInt(2);
            int action = random.nextInt(10) == 0 ? 1 : random.nextInt(10) == 0 ? 2 : 0;
            int[] args = action == 0
                    ? new int[] {i, j, random.nextInt(3) - 1, xs[random.nextInt(xs.length)]}
                    : new int[] {i, action == 1 ? j : random.nextInt(2)};
            try {
                h.step(action, args);
            } catch (RuntimeException e) {
                if (!(rootCause(e) instanceof ArithmeticException)) {
                    throw e;
                }
                raised++;
            }
            for (int a = 0; a < 2; a++) {
                for (int b = 1; b <= 2; b++) {
                    Arrays.fill(into, 12345);
                    copy.invoke(m, a, b, into, 2);
                    String at = "box[" + a + "][" + b + "] after step " + step;
                    assertEquals(12345, into[0], at);
                    assertEquals(12345, into[1], at);
                    assertEquals(12345, into[2 + length], at + ": the copy stays within its words");
                    assertEquals(rFrom.invoke(m, a, b), into[2 + from], at);
                    assertEquals(rN.invoke(m, a, b), into[2 + n], at);
                    for (int k = 1; k <= 3; k++) {
                        assertEquals(rWords.invoke(m, a, b, k), into[2 + words + k - 1], at + ".words[" + k + "]");
                    }
                    assertEquals((Boolean) rOk.invoke(m, a, b) ? 1 : 0, into[2 + ok], at);
                    assertEquals(((Enum<?>) rKind.invoke(m, a, b)).ordinal(), into[2 + kind], at);
                    assertEquals(rSlot.invoke(m, a, b), into[2 + slot], at);
                }
            }
        }
        assertTrue(raised > 20, "overflows raised: " + raised);
        // both indices are checked: a wrong one throws instead of reading a neighbour's words
        for (int[] bad : new int[][] {{2, 1}, {-1, 1}, {0, 0}, {0, 3}}) {
            InvocationTargetException e =
                    assertThrows(InvocationTargetException.class, () -> copy.invoke(m, bad[0], bad[1], into, 0));
            assertTrue(e.getCause() instanceof IndexOutOfBoundsException, Arrays.toString(bad));
        }
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
