/*
 * Engine test program: a deterministic computation (an FNV-1a style hash over a counter, folded into a
 * 256-word table) long enough to be preempted many times, then one trap with EAX = 3, the hash in EBX
 * and the sum of the table in ECX. The same numbers come out however the run is cut into quanta.
 */
static unsigned table[256];

int main(void) {
    unsigned h = 2166136261u;
    for (unsigned i = 0; i < 5000; i++) {
        h = (h ^ i) * 16777619u;
        table[i & 255] += h;
    }
    unsigned sum = 0;
    for (int i = 0; i < 256; i++) {
        sum += table[i];
    }
    __asm__ volatile("int $0x30" : : "a"(3), "b"(h), "c"(sum) : "memory", "edx", "esi", "edi");
    return 0;
}
