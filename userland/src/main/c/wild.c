/* Writes far outside its page window with no pager: the kernel kills this thread alone (a test program). */
#include "ladle.h"

int main(void) {
    *(volatile unsigned *)0x40000000 = 1;
    ladle_exit(1);
}
