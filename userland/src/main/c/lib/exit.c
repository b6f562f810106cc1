/*
 * The exit lib/start.S calls when main returns: EXIT (docs/abi.md) with main's result as the status in EBX.
 * It overrides start.S's weak default. Programs call ladle_exit from ladle.h directly; this one is global.
 */
#define LADLE_NUMBERS_ONLY
#include "ladle.h"

void ladle_exit(int status) __attribute__((noreturn));

void ladle_exit(int status) {
    for (;;) {
        __asm__ volatile("int $0x30" : : "a"(LADLE_OP_EXIT), "b"(status) : "memory", "ecx", "edx", "esi", "edi");
    }
}
