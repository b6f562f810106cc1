/* Executes an invalid instruction: the kernel kills this thread alone (a test program, not in the default system). */
#include "ladle.h"

int main(void) {
    __asm__ volatile("ud2");
    ladle_exit(1);
}
