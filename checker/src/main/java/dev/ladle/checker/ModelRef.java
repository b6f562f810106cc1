package dev.ladle.checker;

import java.nio.file.Path;

/**
 * One model found by {@link Discovery}: a TLA+ module with its TLC configuration, or one
 * {@code check}/{@code run} command of an Alloy file.
 *
 * @param name the name users select it by: {@code X} for {@code X.tla} + {@code X.cfg}, {@code
 *     File/label} for an Alloy command
 * @param engine which checker runs it
 * @param file the {@code .tla} or {@code .als} file
 * @param config the {@code .cfg} file (TLC), or {@code null} (Alloy)
 * @param command the Alloy command label, or {@code null} (TLC)
 * @param alloyRun true for an Alloy {@code run} command (its success is finding an instance)
 */
public record ModelRef(String name, Engine engine, Path file, Path config, String command, boolean alloyRun) {

    static ModelRef tlc(String name, Path tla, Path cfg) {
        return new ModelRef(name, Engine.TLC, tla, cfg, null, false);
    }

    static ModelRef alloy(Path als, String label, boolean run) {
        String module = als.getFileName().toString().replaceFirst("\\.als$", "");
        return new ModelRef(module + "/" + label, Engine.ALLOY, als, null, label, run);
    }
}
