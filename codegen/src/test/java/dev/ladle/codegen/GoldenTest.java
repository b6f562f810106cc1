package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The generated text itself, for small specs: what a reader of the generated code sees. */
class GoldenTest {

    private static String file(Path spec, String type) {
        Generator.Result r = Generator.generate(spec, "fixture");
        assertTrue(r.ok(), r.errors()::toString);
        return r.files().stream()
                .filter(f -> f.typeSpec().name().equals(type))
                .findFirst()
                .map(JavaFile::toString)
                .orElseThrow();
    }

    /** The member starting with the given line, through its closing brace, as it appears in the file. */
    private static String member(String file, String firstLine) {
        int start = file.indexOf("  " + firstLine);
        assertTrue(start >= 0, () -> "no '" + firstLine + "' in\n" + file);
        int end = file.indexOf("\n  }\n", start);
        return file.substring(start, end + 5);
    }

    @Test
    void headerNamesTheSpecAndSaysNotToEdit() {
        String f = file(Path.of("src/test/resources/specs/golden/Counter.tla"), "CounterMachine");
        assertTrue(f.startsWith("""
        // Generated from the TLA+ module Counter by the Ladle code generator. Do not edit:
        // change the spec and rebuild (mvn compile) instead.
        //
        package fixture.counter;
        """), f);
    }

    @Test
    void namedAndPositionalGuardsThenOneCommit() {
        String f = file(Path.of("src/test/resources/specs/golden/Counter.tla"), "CounterMachine");
        assertEquals("""
          public Guard inc() {
            final CounterState st = this.state;
            final int[] m = st.mem;
            if (!(m[st.off_n] < st.Max)) {
              return Guard.INC_BELOW;
            }
            final int next = Math.addExact(m[st.off_n], 1);
            m[st.off_n] = next;
            return Guard.OK;
          }
        """, member(f, "public Guard inc() {"));
        assertEquals("""
          public Guard reset(int k) {
            final CounterState st = this.state;
            final int[] m = st.mem;
            if (!(k <= m[st.off_n])) {
              return Guard.RESET_CONJUNCT_1;
            }
            final int next = Math.subtractExact(m[st.off_n], k);
            m[st.off_n] = next;
            return Guard.OK;
          }
        """, member(f, "public Guard reset(int k) {"));
        assertEquals("""
          public boolean typeOK() {
            final CounterState st = this.state;
            final int[] m = st.mem;
            final int v = m[st.off_n];
            return (0 <= v && v <= st.Max);
          }
        """, member(f, "public boolean typeOK() {"));
        assertTrue(f.contains("RESET_CONJUNCT_1(\"Reset: conjunct 1 at line 10, col 16\")"), f);
    }

    @Test
    void appendOfAMessageWritesOnlyTheNewSlot() {
        String f = file(Path.of("src/test/resources/specs/Mailbox.tla"), "MailboxMachine");
        assertEquals("""
          public Guard send(int t, int d, int w1, int w2, int w3, int w4, int w5, int w6) {
            final MailboxState st = this.state;
            final int[] m = st.mem;
            final int v = st.off_inbox + (d - st.loThreads) * st.sz0;
            if (!(m[v] < st.MaxMsgs)) {
              return Guard.SEND_HAS_ROOM;
            }
            final int len = m[v];
            if (len >= st.MaxMsgs) {
              throw seqBound("Append");
            }
            final int slot = v + 1 + len * 7;
            final int v2 = st.off_sent + (t - st.loThreads);
            final int next = Math.addExact(m[v2], 1);
            m[slot] = t;
            m[slot + 1] = w1;
            m[slot + 2] = w2;
            m[slot + 3] = w3;
            m[slot + 4] = w4;
            m[slot + 5] = w5;
            m[slot + 6] = w6;
            m[v] = len + 1;
            m[v2] = next;
            return Guard.OK;
          }
        """, member(f, "public Guard send("));
    }

    @Test
    void ghostVariablesExistOnlyInTheCheckedVariant() {
        Path mailbox = Path.of("src/test/resources/specs/Mailbox.tla");
        assertTrue(file(mailbox, "MailboxCheckedState").contains("off_hSent"));
        assertTrue(!file(mailbox, "MailboxState").contains("hSent"));
        assertTrue(!file(mailbox, "MailboxMachine").contains("hSent"));
    }
}
