package dev.ladle.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.boot.BootDescription.FaultPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The boot description parser: a good file, and malformed ones whose errors name file, line and column. */
class BootParserTest {
    static final String GOOD = """
            # two threads and a pager
            limits localids 4 pages 32 frames 64 vector 3 base 0x08048
            process client image client.elf heap 1
            process pager image pager.elf stack 2   # a comment after a declaration
            thread client in client pager 2 faults pager
            thread pager in pager confined
            cap client 1 -> pager send
            cap client 2 -> pager send grant
            cap pager 1 -> client send grant
            """;

    @Test
    void aGoodDescription() throws BootError {
        BootDescription b = BootParser.parse("good.boot", GOOD);
        assertEquals(new BootDescription.Limits(2, 4, 32, 64, 3, 0x08048), b.limits());
        assertEquals(2, b.processes().size());
        assertEquals("client.elf", b.processes().get(0).image());
        assertEquals(1, b.processes().get(0).heap());
        assertEquals(1, b.processes().get(0).stack());
        assertEquals(2, b.processes().get(1).stack());
        assertEquals(2, b.threads().get(0).pager());
        assertEquals(FaultPolicy.PAGER, b.threads().get(0).faults());
        assertEquals(FaultPolicy.KILL, b.threads().get(1).faults(), "no pager: faults kill");
        assertTrue(b.threads().get(1).confined());
        assertEquals(3, b.caps().size());
        assertEquals(3, b.caps().get(1).rights());
        assertEquals(1, b.threadIndex("pager"));
        assertEquals(new BootDescription.Pos(7, 1), b.caps().get(0).pos());
    }

    @Test
    void aProcessRunsSeveralThreadsEachFromItsOwnEntry() throws BootError {
        BootDescription b = BootParser.parse(
                "two.boot",
                "process p image p.elf stack 2\nthread t in p\nthread u in p entry second\n"
                        + "thread v in p entry 0x08048010\n");
        assertEquals(3, b.limits().threads());
        assertEquals(null, b.threads().get(0).entry(), "no entry: the image's entry point");
        assertEquals("second", b.threads().get(1).entry());
        assertEquals(new BootDescription.Pos(3, 21), b.threads().get(1).entryPos());
        assertEquals("0x08048010", b.threads().get(2).entry());
        assertEquals("p", b.threads().get(2).process());
    }

    @Test
    void aThreadIsDeclaredTheCheckpointer() throws BootError {
        BootDescription b = BootParser.parse(
                "ck.boot",
                "process p image p.elf\nprocess c image c.elf\nthread t in p\nthread ck in c checkpointer\n");
        assertEquals(1, b.checkpointer());
        assertTrue(b.threads().get(1).checkpointer());
        assertEquals(new BootDescription.Pos(4, 16), b.threads().get(1).checkpointerPos());
        assertEquals(
                -1,
                BootParser.parse("x", "process p image p.elf\nthread t in p\n").checkpointer());
    }

    @Test
    void limitsDefaultAndThreadsCountTheDeclared() throws BootError {
        BootDescription b = BootParser.parse("x", "process p image p.elf\nthread t in p\n");
        assertEquals(1, b.limits().threads());
        assertEquals(BootDescription.Limits.DEFAULT.pages(), b.limits().pages());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown declaration  | process p image p.elf\\nthred t in p                      | 2 | 1  | unknown declaration 'thred'
            missing image word   | process p imag p.elf\\nthread t in p                      | 1 | 11 | expected 'image', found 'imag'
            missing image name   | process p image\\nthread t in p                            | 1 | 16 | expected an image name
            bad number           | limits pages lots\\nprocess p image p.elf\\nthread t in p  | 1 | 14 | 'lots' is not a number
            number out of range  | limits vector 0\\nprocess p image p.elf\\nthread t in p    | 1 | 15 | vector 0 is out of range
            unknown limit        | limits cores 2\\nprocess p image p.elf\\nthread t in p     | 1 | 8  | unknown limit 'cores'
            local id 0           | process p image p.elf\\nthread t in p\\ncap t 0 -> t send   | 3 | 7  | local id 0 names no capability: local ids start at 1
            pager local id 0     | process p image p.elf\\nthread t in p pager 0             | 2 | 21 | pager local id 0 names no capability
            limit twice          | limits pages 2 pages 3\\nprocess p image p.elf\\nthread t in p | 1 | 16 | limit 'pages' given twice
            two limits lines     | limits pages 8\\nlimits frames 9\\nprocess p image p.elf\\nthread t in p | 2 | 1 | a second 'limits' line
            unknown process opt  | process p image p.elf stak 1\\nthread t in p               | 1 | 23 | unknown process option 'stak'
            unknown fault policy | process p image p.elf\\nthread t in p faults retry          | 2 | 22 | unknown fault policy 'retry'
            pager policy no pager | process p image p.elf\\nthread t in p faults pager        | 2 | 1  | needs a 'pager LOCALID'
            unknown process      | process p image p.elf\\nthread t in q                      | 2 | 13 | no process named q
            duplicate thread     | process p image p.elf\\nprocess q image p.elf\\nthread t in p\\nthread t in q | 4 | 1 | thread t is declared twice
            duplicate process    | process p image p.elf\\nprocess p image q.elf\\nthread t in p | 2 | 1 | process p is declared twice
            entry without value  | process p image p.elf\\nthread t in p entry               | 2 | 20 | expected a symbol or an address after 'entry'
            entry not a symbol   | process p image p.elf\\nthread t in p entry 9lives         | 2 | 21 | '9lives' is neither a symbol nor a 32-bit address
            entry past 32 bits   | process p image p.elf\\nthread t in p entry 0x1ffffffff   | 2 | 21 | neither a symbol nor a 32-bit address
            entry twice          | process p image p.elf\\nthread t in p entry a entry b     | 2 | 23 | option 'entry' given twice
            process without thread | process p image p.elf\\nprocess q image q.elf\\nthread t in p | 2 | 1 | process q has no thread
            no thread at all     | # nothing\\n                                                | 1 | 1  | no thread is declared
            cap unknown thread   | process p image p.elf\\nthread t in p\\ncap u 1 -> t send  | 3 | 5  | no thread named u
            cap unknown target   | process p image p.elf\\nthread t in p\\ncap t 1 -> u send  | 3 | 12 | no thread named u
            cap missing arrow    | process p image p.elf\\nthread t in p\\ncap t 1 => t send  | 3 | 9  | expected '->', found '=>'
            cap unknown right    | process p image p.elf\\nthread t in p\\ncap t 1 -> t read  | 3 | 14 | unknown right 'read'
            cap no right         | process p image p.elf\\nthread t in p\\ncap t 1 -> t       | 3 | 13 | expected a right
            cap right twice      | process p image p.elf\\nthread t in p\\ncap t 1 -> t send send | 3 | 19 | right 'send' given twice
            cap outside table    | limits localids 2\\nprocess p image p.elf\\nthread t in p\\ncap t 3 -> t send | 4 | 7 | outside the table
            cap slot twice       | process p image p.elf\\nthread t in p\\ncap t 1 -> t send\\ncap t 1 -> t grant | 4 | 7 | already filled at line 3
            pager names nothing  | process p image p.elf\\nthread t in p pager 3              | 2 | 21 | names no capability
            pager without send   | process p image p.elf\\nthread t in p pager 1\\ncap t 1 -> t grant | 2 | 21 | lacks the send right
            too few threads      | limits threads 1\\nprocess p image p.elf\\nprocess q image p.elf\\nthread t in p\\nthread u in q | 1 | 1 | limits threads 1 but 2 threads
            bad name             | process 9p image p.elf\\nthread t in 9p                    | 1 | 9  | '9p' is not a valid process name
            two checkpointers    | process p image p.elf\\nthread t in p checkpointer\\nthread u in p checkpointer | 3 | 15 | a second checkpointer (thread t at line 2 is one
            cap to checkpointer  | process p image p.elf\\nthread t in p\\nthread c in p checkpointer\\ncap t 1 -> c send | 4 | 12 | thread c is the checkpointer: it holds no capability and none names it
            cap of checkpointer  | process p image p.elf\\nthread t in p\\nthread c in p checkpointer\\ncap c 1 -> t send | 4 | 5 | thread c is the checkpointer
            checkpointer twice   | process p image p.elf\\nthread t in p checkpointer checkpointer | 2 | 28 | option 'checkpointer' given twice
            window past 4 GiB    | limits base 0xfffff pages 2\\nprocess p image p.elf\\nthread t in p | 1 | 1 | runs past 4 GiB
            """)
    void malformedDescriptionsNameFileLineAndColumn(String what, String text, int line, int column, String message) {
        BootError e = assertThrows(BootError.class, () -> BootParser.parse("bad.boot", text.replace("\\n", "\n")));
        assertEquals(line + ":" + column, e.line() + ":" + e.column(), what + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.boot:" + line + ":" + column + ": "), e.getMessage());
        assertTrue(e.reason().contains(message.trim()), what + ": " + e.getMessage());
    }
}
