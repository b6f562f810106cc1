/* Ping-pong, the pong side: answers every message from ping (local id 1) with each word plus one. */
#include "ladle.h"

int main(void) {
    ladle_msg m;
    for (;;) {
        unsigned r = ladle_wait(&m);
        if (LADLE_RESULT(r) != LADLE_OK) {
            ladle_exit(1);
        }
        if (m.w[0] == 0xffffffffu) {
            ladle_exit(0);
        }
        for (unsigned k = 0; k < 6; k++) {
            m.w[k] += 1;
        }
        while (ladle_send(1, &m) == LADLE_E_FULL) {
            ladle_yield();
        }
    }
}
