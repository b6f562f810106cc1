package dev.ladle.persist.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the reader's bytes come from: a file opened read-only, or bytes in memory (tests). {@link #read} may be called
 * from two threads at once, at different positions (a scan reads the next window ahead on another thread).
 */
public interface LogSource extends AutoCloseable {
    long size() throws IOException;

    /** Reads into {@code dst} from {@code position}; returns the bytes read, or -1 at the end of the source. */
    int read(ByteBuffer dst, long position) throws IOException;

    @Override
    void close() throws IOException;

    /** Opens {@code file} for reading only: a reader never writes. */
    static LogSource readOnly(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        return new LogSource() {
            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return ch.read(dst, position);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    static LogSource of(byte[] bytes) {
        return new LogSource() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public int read(ByteBuffer dst, long position) {
                if (position >= bytes.length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), bytes.length - position);
                dst.put(bytes, (int) position, n);
                return n;
            }

            @Override
            public void close() {}
        };
    }
}
