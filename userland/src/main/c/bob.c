/* Bob holds no capability at all: he receives alice's greeting and cannot name her (the sender is anonymous). */
#include "ladle.h"

int main(void) {
    ladle_msg m;
    unsigned r = ladle_wait(&m);
    if (LADLE_RESULT(r) != LADLE_OK || m.w[0] != 0x4e110 || m.w[1] != 0xa11ce) {
        ladle_exit(1);
    }
    ladle_exit(LADLE_SENDER(r) == 0 ? 0 : 2);
}
