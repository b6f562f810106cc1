package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ABI is written down three times: docs/abi.md (the contract), ladle.h (for C programs) and {@link Abi} (for
 * the kernel). This test parses the first two and reflects on the third: the same names with the same numbers,
 * none missing on any side.
 */
class AbiDocumentationTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The numbers the document defines, by the name the header and Abi use (without LADLE_). */
    static Map<String, Long> fromDocument() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/abi.md"));
        Map<String, Long> out = new TreeMap<>();
        String section = "";
        Pattern named = Pattern.compile("^\\| `([A-Z_]+)` \\| (\\d+) \\|");
        Pattern bit = Pattern.compile("^\\| (\\d+) \\| `(QUERY_[A-Z]+)` \\|");
        for (String line : doc.split("\n")) {
            if (line.startsWith("## ") || line.startsWith("### ")) {
                section = line.replaceFirst("^#+ ", "");
            }
            Matcher m = named.matcher(line);
            if (m.find()) {
                String name = m.group(1);
                long value = Long.parseLong(m.group(2));
                switch (section) {
                    case "Operations" -> out.put("OP_" + name, value);
                    case "Result codes", "Item kinds" -> out.put(name, value);
                    default -> throw new AssertionError("a numbered name outside the known tables: " + line);
                }
            }
            Matcher b = bit.matcher(line);
            if (b.find()) {
                out.put(b.group(2), 1L << Integer.parseInt(b.group(1)));
            }
            Matcher tag = Pattern.compile("`FAULT_TAG` \\(0x([0-9a-f]+)\\)").matcher(line);
            if (tag.find()) {
                out.put("FAULT_TAG", Long.parseLong(tag.group(1), 16));
            }
        }
        return out;
    }

    static Map<String, Long> fromHeader() throws IOException {
        String h = Files.readString(ROOT.resolve("userland/src/main/c/include/ladle.h"));
        Map<String, Long> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^#define LADLE_([A-Z_]+) (0x[0-9a-fA-F]+|\\d+)u?$")
                .matcher(h);
        while (m.find()) {
            String v = m.group(2);
            out.put(m.group(1), v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v));
        }
        return out;
    }

    static Map<String, Long> fromJava() throws IllegalAccessException {
        Map<String, Long> out = new TreeMap<>();
        for (Field f : Abi.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                out.put(f.getName(), Integer.toUnsignedLong(f.getInt(null)));
            }
        }
        return out;
    }

    @Test
    void theHeaderDefinesExactlyTheDocumentsNumbers() throws IOException {
        Map<String, Long> doc = fromDocument();
        Map<String, Long> header = fromHeader();
        assertTrue(doc.size() > 40, "the document's tables were not found: " + doc);
        // the header's other numeric defines are layout helpers, named in Abi as well
        Map<String, Long> headerAbi = new TreeMap<>(header);
        headerAbi.keySet().retainAll(doc.keySet());
        assertEquals(doc, headerAbi);
        for (String name : header.keySet()) {
            assertTrue(
                    doc.containsKey(name) || name.equals("SYSCALL_VECTOR") || name.equals("PAGE_SIZE"),
                    "ladle.h defines LADLE_" + name + ", which docs/abi.md does not");
        }
        assertEquals(0x30L, header.get("SYSCALL_VECTOR"));
    }

    @Test
    void theKernelUsesExactlyTheDocumentsNumbers() throws Exception {
        Map<String, Long> doc = fromDocument();
        Map<String, Long> java = fromJava();
        for (var e : doc.entrySet()) {
            assertEquals(e.getValue(), java.get(e.getKey()), "Abi." + e.getKey());
        }
        for (String name : java.keySet()) {
            if (name.startsWith("OP_")
                    || name.startsWith("E_")
                    || name.endsWith("_ITEM")
                    || name.startsWith("QUERY_")) {
                assertTrue(doc.containsKey(name), "Abi." + name + " is not in docs/abi.md");
            }
        }
        assertEquals(0x30L, java.get("SYSCALL_VECTOR"));
        assertEquals(
                Abi.OP_NAMES.length - 1,
                doc.keySet().stream().filter(n -> n.startsWith("OP_")).count());
        for (int op = 1; op < Abi.OP_NAMES.length; op++) {
            assertEquals((long) op, doc.get("OP_" + Abi.OP_NAMES[op]), Abi.OP_NAMES[op]);
        }
        for (int r = 0; r < Abi.RESULT_NAMES.length; r++) {
            assertEquals((long) r, doc.get(Abi.RESULT_NAMES[r]), Abi.RESULT_NAMES[r]);
        }
    }

    @Test
    void itemKindsAreTheSpecsOrdinals() {
        var kinds = dev.ladle.kernel.gen.kernel.ItemKinds.values();
        String[] mine = {
            "NONE",
            "MAP_PAGE_ITEM",
            "GRANT_PAGE_ITEM",
            "COPY_PAGE_ITEM",
            "MAP_CAP_ITEM",
            "GRANT_CAP_ITEM",
            "COPY_CAP_ITEM"
        };
        assertEquals(mine.length, kinds.length);
        for (int i = 0; i < kinds.length; i++) {
            assertEquals(mine[i].replace("_ITEM", "").replace("_", ""), kinds[i].name(), "ItemKinds ordinal " + i);
        }
    }
}
