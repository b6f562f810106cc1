/*
 * A long computation whose state lives only in its registers and memory: a xorshift generator fills a histogram
 * in .bss, and the histogram's total is checked against the step count as it goes. It also creates a thread of
 * its own process (which exits at once, on a stack of its own in .bss) and deletes it when the computation ends.
 */
#include "ladle.h"

#define STEPS 300000u
#define BINS 1024u

static unsigned histogram[BINS];
static unsigned helper_stack[64];

static void helper(void) {
    ladle_exit(0);
}

int main(void) {
    unsigned id;
    if (ladle_thread_create(helper, helper_stack + 64, &id) != LADLE_OK) {
        ladle_exit(1);
    }
    unsigned x = 2463534242u;
    for (unsigned i = 1; i <= STEPS; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        histogram[x % BINS]++;
        if ((i & 0xffff) == 0) {
            unsigned total = 0;
            for (unsigned b = 0; b < BINS; b++) {
                total += histogram[b];
            }
            if (total != i) {
                ladle_exit(2);
            }
        }
    }
    if (ladle_thread_delete(id) != LADLE_OK) {
        ladle_exit(4);
    }
    return x == 0 ? 3 : 0; /* main's result is the exit status (lib/start.S, lib/exit.c) */
}
