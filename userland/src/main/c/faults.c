/*
 * Engine test program: asks the kernel which fault to commit (int $0x30 with EAX = 2; the answer comes
 * back in EAX), commits it, and if it is resumed afterwards reports with EAX = 3 and, in EBX, the word
 * at 0x40000000. Kinds: 0 write to an unmapped page, 1 read of an unmapped page, 2 write to its own
 * read-only code, 3 jump to an unmapped page, 4 invalid instruction, 5 int $0x80, 6 divide by zero.
 */
#define UNMAPPED ((volatile unsigned *) 0x40000000)

static unsigned ask(void) {
    unsigned kind;
    __asm__ volatile("int $0x30" : "=a"(kind) : "a"(2) : "memory", "ebx", "ecx", "edx", "esi", "edi");
    return kind;
}

static void report(unsigned value) {
    __asm__ volatile("int $0x30" : : "a"(3), "b"(value) : "memory", "ecx", "edx", "esi", "edi");
}

volatile int zero;
volatile int sink;

int main(void) {
    switch (ask()) {
    case 0:
        *UNMAPPED = 0x1234;
        break;
    case 1:
        sink = *UNMAPPED;
        break;
    case 2:
        *(volatile unsigned *) (void *) &main = 0;
        break;
    case 3:
        ((void (*)(void)) 0x50000000)();
        break;
    case 4:
        __asm__ volatile("ud2");
        break;
    case 5:
        __asm__ volatile("int $0x80");
        break;
    case 6:
        __asm__ volatile("movl %0, %%ecx\n\tmovl $1, %%eax\n\txorl %%edx, %%edx\n\tdivl %%ecx"
                         :
                         : "m"(zero)
                         : "eax", "ecx", "edx");
        break;
    }
    report(*UNMAPPED);
    return 0;
}
