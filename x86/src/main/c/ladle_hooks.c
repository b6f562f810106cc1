/*
 * Native hooks for Unicorn, built into the x86 module's jar as linux-x86-64/libladlehooks.so.
 * A Java (JNA) callback costs microseconds per call; the per-instruction code hook must cost
 * nanoseconds, so it is this C function, and Java reads its counter after each run.
 */
#include <stdint.h>

struct ladle_counter {
    uint64_t count;        /* instructions started since the counter was reset */
    uint64_t last_address; /* address of the last instruction started */
};

void ladle_count_instruction(void *uc, uint64_t address, uint32_t size, void *user_data) {
    struct ladle_counter *counter = user_data;
    (void) uc;
    (void) size;
    counter->count++;
    counter->last_address = address;
}
