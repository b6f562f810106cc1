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
    void namedGuardsAndGuardsNamedFromTheirTextThenOneCommit() {
        String f = file(Path.of("src/test/resources/specs/golden/Counter.tla"), "CounterMachine");
        assertEquals("""
          public Guard inc() {
            final CounterState st = this.state;
            final int[] m = st.mem;
            if (m[st.off_n] >= st.Max) {
              return Guard.INC_BELOW;
            }
            final int nextN = Math.addExact(m[st.off_n], 1);
            m[st.off_n] = nextN;
            return Guard.OK;
          }
        """, member(f, "public Guard inc() {"));
        assertEquals("""
          public Guard reset(int k) {
            final CounterState st = this.state;
            final int[] m = st.mem;
            if (k > m[st.off_n]) {
              return Guard.RESET_K_LE_N;
            }
            final int nextN = Math.subtractExact(m[st.off_n], k);
            m[st.off_n] = nextN;
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
        assertTrue(
                f.contains(String.join(
                        "\n",
                        "    /**",
                        "     * Refused by Reset (Counter.tla, line 10):",
                        "     * <pre>",
                        "     * k &lt;= n",
                        "     * </pre>",
                        "     */",
                        "    RESET_K_LE_N(\"Reset: k <= n\")")),
                f);
    }

    @Test
    void appendOfAMessageWritesOnlyTheNewSlot() {
        String f = file(Path.of("src/test/resources/specs/Mailbox.tla"), "MailboxMachine");
        assertEquals("""
          public Guard send(int t, int d, int w1, int w2, int w3, int w4, int w5, int w6) {
            final MailboxState st = this.state;
            final int[] m = st.mem;
            final int inboxAt = st.off_inbox + (d - st.loThreads) * st.sz0;
            if (m[inboxAt] >= st.MaxMsgs) {
              return Guard.SEND_HAS_ROOM;
            }
            final int len = m[inboxAt];
            if (len >= st.MaxMsgs) {
              throw seqBound("Append");
            }
            final int slot = inboxAt + 1 + len * 7;
            final int sentAt = st.off_sent + (t - st.loThreads);
            final int nextSent = Math.addExact(m[sentAt], 1);
            m[slot] = t;
            m[slot + 1] = w1;
            m[slot + 2] = w2;
            m[slot + 3] = w3;
            m[slot + 4] = w4;
            m[slot + 5] = w5;
            m[slot + 6] = w6;
            m[inboxAt] = len + 1;
            m[sentAt] = nextSent;
            return Guard.OK;
          }
        """, member(f, "public Guard send("));
    }

    static final Path READABLE = Path.of("src/test/resources/specs/golden/Readable.tla");

    @Test
    void constantSubexpressionsAreFolded() {
        String f = file(READABLE, "ReadableMachine");
        String take = member(f, "public Guard take() {");
        // 2 * 3 > 5 holds whatever the state: no test is emitted for it; count + (1 + 0) is count + 1
        assertTrue(!take.contains("TAKE_2_TIMES_3_GT_5") && !take.contains("if (false)"), take);
        assertTrue(take.contains("final int nextCount = Math.addExact(m[st.off_count], 1);"), take);
        // a bit test at a literal index reads the word directly: no (0 >>> 5), no 0 >= 0 && 0 < 2
        String kernel = file(Path.of("src/test/resources/specs/Mailbox.tla"), "MailboxMachine");
        for (String method :
                java.util.List.of("public Guard take() {", "public Guard drop(int s2) {", "public void init() {")) {
            String code = member(f, method);
            assertTrue(!code.matches("(?s).*[^\\w.\\]]\\d+ (<|<=|>|>=|==|!=) \\d+[^\\w\\[].*"), code);
        }
        assertTrue(!kernel.contains(">>> 5)] >>> (0 & 31)"), kernel);
    }

    @Test
    void sharedValuesAreNamedAfterTheirOperatorOrLetDefinition() {
        String f = file(READABLE, "ReadableMachine");
        String take = member(f, "public Guard take() {");
        assertTrue(take.contains("int firstFreeSlot = 0;") && take.contains("firstFreeSlot = slot;"), take);
        assertTrue(!take.contains("chosen"), take);
        String drop = member(f, "public Guard drop(int s2) {");
        assertTrue(drop.contains("""
                    final int mine = m[st.off_owner + (s2 - st.loSlots)];
                    if (mine >= st.Max) {
                      return Guard.DROP_MINE_LT_MAX;
                    }
                    final int nextCount = Math.addExact(mine, 1);
                """), drop);
        // a bound variable keeps its spec name (Lower's unique suffix, slot_12, is not shown)
        String bounded = member(f, "public boolean bounded() {");
        assertTrue(bounded.contains("final int slot = (i + st.loSlots - 1);"), bounded);
    }

    @Test
    void actionsAndGuardsQuoteTheSpec() {
        String f = file(READABLE, "ReadableMachine");
        assertTrue(
                f.contains(String.join(
                        "\n",
                        "   * The action Take: refuses with the first failing guard, else applies its updates together.",
                        "   *",
                        "   * <p>Readable.tla, line 19:",
                        "   * <pre>",
                        "   * Take ==",
                        "   * </pre>",
                        "   */",
                        "  public Guard take() {")),
                f);
        assertTrue(
                f.contains(String.join(
                        "\n",
                        "     * Refused by Drop (Readable.tla, line 28):",
                        "     * <pre>",
                        "     * s \\in used",
                        "     * </pre>",
                        "     */",
                        "    DROP_S_IN_USED(\"Drop: s \\\\in used\"),")),
                f);
        assertTrue(f.contains("TAKE_USED_NE_SLOTS(\"Take: used # Slots\")"), f);
    }

    @Test
    void typesAreImportedNotSpliced() {
        for (String type : java.util.List.of("ReadableMachine", "ReadableCheckedMachine")) {
            String f = file(READABLE, type);
            assertTrue(f.contains("import java.util.Arrays;"), f);
            assertTrue(!f.contains("java.util.Arrays."), f);
        }
    }

    @Test
    void negationsReadAsTheConditionNotADoubleNegation() {
        assertEquals("x >= n", JavaText.not("(x < n)"));
        assertEquals("torn", JavaText.not("!torn"));
        assertEquals("(i < 0 || i >= n)", JavaText.not("(i >= 0 && i < n)"));
        // operand by operand, in the same order (so the same operands are evaluated)
        assertEquals("(torn && m[b] != 0)", JavaText.not("(!torn || m[b] == 0)"));
        assertEquals("(a != b && (c || d))", JavaText.not("(a == b || (!c && !d))"));
        assertEquals("!Arrays.equals(m, 0, 2, s, 0, 2)", JavaText.not("Arrays.equals(m, 0, 2, s, 0, 2)"));
        assertEquals("!(x ? a : b)", JavaText.not("x ? a : b"));
    }

    @Test
    void guardNamesFromText() {
        assertEquals("NOT_PAGE_DESCENDANT_NEXT", GuardNames.nameFromText("~PageDescendantNext"));
        assertEquals("LEN_INBOX_T_LT_MAX_MSGS", GuardNames.nameFromText("Len(inbox[t]) < MaxMsgs"));
        assertEquals("STATUS_A_NE_CLOSED", GuardNames.nameFromText("status[a] /= \"closed\""));
        // quantifiers and long conjuncts get no name from their text (a note asks for an operator instead)
        assertEquals(null, GuardNames.nameFromText("\\E x \\in S : x > 0"));
        assertEquals(null, GuardNames.nameFromText("a + b + c + d + e > f"));
    }

    @Test
    void ghostVariablesExistOnlyInTheCheckedVariant() {
        Path mailbox = Path.of("src/test/resources/specs/Mailbox.tla");
        assertTrue(file(mailbox, "MailboxCheckedState").contains("off_hSent"));
        assertTrue(!file(mailbox, "MailboxState").contains("hSent"));
        assertTrue(!file(mailbox, "MailboxMachine").contains("hSent"));
    }
}
