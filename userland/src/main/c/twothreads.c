/* Two threads in one address space: main (the image's entry point) and second (the boot description's
 * `entry second`). main writes a word to memory both share and tells second (local id 1); second reads it
 * there, answers (its local id 1) with the word plus one and the address of its own stack, and exits 0 when
 * it saw main's word. main exits 0 when the answer is right and second's stack is not main's. */
#include "ladle.h"

static volatile unsigned shared;

void second(void) {
    ladle_msg m;
    ladle_wait(&m);
    unsigned saw = shared;
    ladle_msg answer = {{saw + 1, (unsigned)&m, 0, 0, 0, 0}};
    ladle_send(1, &answer);
    ladle_exit(saw == m.w[0] ? 0 : 1);
}

int main(void) {
    shared = 41;
    ladle_msg m = {{41, 0, 0, 0, 0, 0}};
    if (ladle_send(1, &m) != LADLE_OK) {
        return 1;
    }
    ladle_wait(&m);
    if (m.w[0] != 42) {
        return 2;
    }
    if (LADLE_PAGE_OF(m.w[1]) == LADLE_PAGE_OF(&m)) {
        return 3;
    }
    return 0;
}
