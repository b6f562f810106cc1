/*
 * The default system's checkpointer thread (declared `checkpointer` in default.boot): the kernel maps
 * each frame of a checkpoint's snapshot into this process's free pages, read-only, and the log writer
 * reads it there and appends it to the log; then the page is unmapped. The log writer runs on the host
 * side, so the thread's own code has nothing to do: it ends at once, and its address space (which an
 * ended thread keeps) is where the snapshot's frames land. It holds no capability and none names it.
 */
int main(void) {
    return 0;
}
