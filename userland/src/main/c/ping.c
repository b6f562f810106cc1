/* Ping-pong, the ping side: sends ROUNDS numbered messages to pong (local id 1) and waits for each answer. */
#include "ladle.h"

#define ROUNDS 200

/* Words are 32 bits, but Ipc.tla types them as Nat: a word with bit 31 set breaks TypeOK under
 * --check-invariants (TLC's integers are signed 32-bit). The stop marker stays below 2^31. */
#define STOP 0x7fffffffu

int main(void) {
    ladle_msg m;
    for (unsigned i = 0; i < ROUNDS; i++) {
        for (unsigned k = 0; k < 6; k++) {
            m.w[k] = i * 6 + k;
        }
        while (ladle_send(1, &m) == LADLE_E_FULL) {
            ladle_yield();
        }
        unsigned r = ladle_wait(&m);
        if (LADLE_RESULT(r) != LADLE_OK) {
            ladle_exit(1);
        }
        if (LADLE_SENDER(r) != 1) {
            ladle_exit(2); /* pong is our local id 1 */
        }
        for (unsigned k = 0; k < 6; k++) {
            if (m.w[k] != i * 6 + k + 1) {
                ladle_exit(3); /* pong adds one to every word */
            }
        }
    }
    m.w[0] = STOP;
    ladle_send(1, &m);
    ladle_exit(0);
}
