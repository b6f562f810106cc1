package dev.ladle.persist.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A log file's channel that shows a test every gathering write before it happens: the very buffers the log hands to
 * the file, on the flusher's thread, with the write not yet done.
 */
public final class WatchedDisk extends FileChannel {
    private final FileChannel disk;
    private final Consumer<ByteBuffer[]> beforeWrite;

    private WatchedDisk(FileChannel disk, Consumer<ByteBuffer[]> beforeWrite) {
        this.disk = disk;
        this.beforeWrite = beforeWrite;
    }

    /** A new log on {@code file} whose gathering writes are shown to {@code beforeWrite} first. */
    public static TransactionLog create(Path file, TransactionLog.Options options, Consumer<ByteBuffer[]> beforeWrite)
            throws IOException {
        return TransactionLog.create(file, options, ch -> new WatchedDisk(ch, beforeWrite));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ByteBuffer[] shown = new ByteBuffer[length];
        System.arraycopy(srcs, offset, shown, 0, length);
        beforeWrite.accept(shown);
        return disk.write(srcs, offset, length);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return disk.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return disk.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return disk.write(src);
    }

    @Override
    public long position() throws IOException {
        return disk.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        disk.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return disk.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        disk.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        disk.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return disk.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return disk.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return disk.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return disk.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return disk.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return disk.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return disk.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        disk.close();
    }
}
