/*
 * A long computation whose state lives only in its registers and memory: a xorshift generator fills a histogram
 * in .bss, and the histogram's total is checked against the step count as it goes. It also asks for a thread of
 * its own, which the kernel refuses until the spec has thread lifecycle.
 */
#include "ladle.h"

#define STEPS 300000u
#define BINS 1024u

static unsigned histogram[BINS];

static void helper(void) {
    ladle_exit(0);
}

int main(void) {
    unsigned id;
    unsigned created = ladle_thread_create(helper, LADLE_ADDR_OF(LADLE_FIRST_FREE_PAGE), &id);
    if (created != LADLE_E_NOT_SUPPORTED && created != LADLE_OK) {
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
    return x == 0 ? 3 : 0; /* main's result is the exit status (lib/start.S, lib/exit.c) */
}
