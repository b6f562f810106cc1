/* Writes to its own code, which its ELF image maps read-only: the write is a page fault (present, write,
 * user: error code 7), so the kernel kills this thread or tells its pager. Exits 1 if the write went through. */
#include "ladle.h"

int main(void) {
    volatile unsigned *code = (volatile unsigned *)(void *)&main;
    code[0] = 0x90909090u;
    return 1;
}
