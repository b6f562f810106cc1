/* Ping-pong, the pong side: answers every message from ping (local id 1) with each word plus one. */
#include "ladle.h"

/* Words are 32 bits, but Ipc.tla types them as Nat: a word with bit 31 set breaks TypeOK under
 * --check-invariants (TLC's integers are signed 32-bit). The stop marker stays below 2^31. */
#define STOP 0x7fffffffu

int main(void) {
    ladle_msg m;
    for (;;) {
        unsigned r = ladle_wait(&m);
        if (LADLE_RESULT(r) != LADLE_OK) {
            ladle_exit(1);
        }
        if (m.w[0] == STOP) {
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
