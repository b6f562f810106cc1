package dev.ladle.cli;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.boot.BootDescription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The digest that names the system a persistence log belongs to, kept in the log's file header: SHA-256 over the
 * boot description's text and the bytes of every ELF image it names, as the boot read them. Bytes rather than the
 * parsed meaning: a recovered system is the log's state over what the boot built from the description and its
 * images, and a digest of the bytes catches every change to either (a fault policy, a heap, a pager, a program's
 * code), where a digest of the parsed meaning would have to be kept in step with every field the parser ever grows.
 * The price is that a description differing only in comments or spacing is refused too; such a refusal says so,
 * while a wrong acceptance would say nothing. The file's name is not part of it (a copy elsewhere recovers).
 */
final class BootDigest {
    private BootDigest() {}

    /** The digest of the system booted from {@code text} (parsed as {@code description}) with {@code images}. */
    static byte[] of(String text, BootDescription description, Kernel.Images images) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        md.update("ladle boot description\0".getBytes(StandardCharsets.US_ASCII));
        part(md, text.getBytes(StandardCharsets.UTF_8));
        Set<String> names = new LinkedHashSet<>();
        for (BootDescription.ProcessDecl p : description.processes()) {
            names.add(p.image());
        }
        for (String name : names) {
            part(md, name.getBytes(StandardCharsets.UTF_8));
            part(md, images.read(name));
        }
        return md.digest();
    }

    /** {@code bytes} with its length in front, so no two lists of parts run together alike. */
    private static void part(MessageDigest md, byte[] bytes) {
        md.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
        md.update(bytes);
    }
}
