package dev.ladle.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a system comes from: the default boot description (the resource {@code ladle/default.boot}) and the images
 * it names, looked up beside a boot file first and then as the resources {@code userland/NAME} that the userland
 * module builds.
 */
public final class SystemImages {
    private SystemImages() {}

    public static final String DEFAULT_BOOT = "ladle/default.boot";

    /** The default system's boot description. */
    public static String defaultBoot() {
        try (InputStream in = SystemImages.class.getClassLoader().getResourceAsStream(DEFAULT_BOOT)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + DEFAULT_BOOT + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Images beside {@code dir} (null: none), else from the class path's {@code userland/}. */
    public static Kernel.Images images(Path dir) {
        return name -> {
            if (dir != null) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) {
                    return Files.readAllBytes(p);
                }
            }
            try (InputStream in = SystemImages.class.getClassLoader().getResourceAsStream("userland/" + name)) {
                if (in == null) {
                    throw new NoSuchFileException(
                            name + " (neither " + (dir == null ? "" : "beside the boot file nor ") + "in userland/)");
                }
                return in.readAllBytes();
            }
        };
    }
}
