package dev.ladle.persist.model;

import java.util.List;

/**
 * One object of a checkpoint: what it is, what it depends on (restored before it), and its contents as the
 * system encodes them (a frame: its 4 KiB; a thread: its registers and fields).
 */
public record KernelObject(ObjectRef ref, List<ObjectRef> deps, byte[] payload) {}
