/*
 * Engine test program: traps with int $0x30 forever. Each trap carries operation 0x01 to local id 1
 * (EAX = 0x0101) and six words in EBX, ECX, EDX, ESI, EDI, EBP; the kernel's reply comes back in the
 * same registers (a result code in EAX). The next words are the reply's words plus the result code,
 * so a test sees that both directions of the register transfer happened.
 */
extern unsigned trap6(unsigned eax, unsigned *words);

__asm__(".text\n"
        ".globl trap6\n"
        "trap6:\n"
        "  pushl %ebp\n"
        "  pushl %ebx\n"
        "  pushl %esi\n"
        "  pushl %edi\n"
        "  movl 24(%esp), %eax\n" /* words */
        "  pushl %eax\n"
        "  movl 0(%eax), %ebx\n"
        "  movl 4(%eax), %ecx\n"
        "  movl 8(%eax), %edx\n"
        "  movl 12(%eax), %esi\n"
        "  movl 16(%eax), %edi\n"
        "  movl 20(%eax), %ebp\n"
        "  movl 24(%esp), %eax\n" /* the operation word */
        "  int $0x30\n"
        "  xchgl %eax, (%esp)\n"
        "  movl %ebx, 0(%eax)\n"
        "  movl %ecx, 4(%eax)\n"
        "  movl %edx, 8(%eax)\n"
        "  movl %esi, 12(%eax)\n"
        "  movl %edi, 16(%eax)\n"
        "  movl %ebp, 20(%eax)\n"
        "  popl %eax\n"
        "  popl %edi\n"
        "  popl %esi\n"
        "  popl %ebx\n"
        "  popl %ebp\n"
        "  ret\n");

static unsigned words[6] = {1, 2, 3, 4, 5, 6};

int main(void) {
    for (;;) {
        unsigned result = trap6(0x0101, words);
        for (int i = 0; i < 6; i++) {
            words[i] += result;
        }
    }
}
