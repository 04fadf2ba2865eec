; stack: the assembly half of the stack test (see stack.c).  stack_run(out)
; performs every PUSH/POP form and ENTER/LEAVE, storing what it observes
; into out[] in the order stack.c prints it.
bits 32
section .data
mval:   dd 0x13579bdf
mdst:   dd 0
mdst16: dw 0, 0

section .text
global stack_run
stack_run:
        push ebp
        push ebx
        push esi
        push edi
        mov edi, [esp + 20]            ; out pointer
        mov ebp, esp                   ; reference ESP

        ; 1: push r32 / imm8 (sign-extended) / imm32 / m32, then ESP delta
        mov eax, 0x11111111
        push eax
        push byte -2
        push dword 0x12345678
        push dword [mval]
        mov eax, ebp
        sub eax, esp
        stosd                          ; out[0] = 16
        pop eax
        stosd                          ; out[1] = 13579bdf
        pop eax
        stosd                          ; out[2] = 12345678
        pop eax
        stosd                          ; out[3] = fffffffe
        pop dword [mdst]
        mov eax, [mdst]
        stosd                          ; out[4] = 11111111

        ; 2: 16-bit push/pop (66 prefix) move ESP by 2
        mov eax, 0xaaaabbbb
        push ax
        push word 0x1234
        mov eax, ebp
        sub eax, esp
        stosd                          ; out[5] = 4
        pop ax
        movzx eax, ax
        stosd                          ; out[6] = 1234
        pop word [mdst16]
        movzx eax, word [mdst16]
        stosd                          ; out[7] = bbbb

        ; 3: push esp pushes the value before the push; pop esp loads
        push esp
        pop eax
        sub eax, esp
        stosd                          ; out[8] = 0
        mov eax, esp
        push eax
        sub dword [esp], 0             ; keep value
        pop esp
        mov eax, ebp
        sub eax, esp
        stosd                          ; out[9] = 0
        ; pop [esp+4]: the address uses ESP after the pop (SDM POP)
        push dword 0x0000aaaa
        push dword 0x0000bbbb
        pop dword [esp + 0]            ; writes over the 0xaaaa slot? no: esp already incremented
        pop eax
        stosd                          ; out[10] = bbbb

        ; 4: PUSHAD/POPAD order and the ignored ESP slot
        mov eax, 0xa0a0a0a0
        mov ecx, 0xc1c1c1c1
        mov edx, 0xd2d2d2d2
        mov ebx, 0xb3b3b3b3
        mov esi, 0x5e5e5e5e
        push edi
        mov edi, 0xd1d1d1d1
        pushad
        mov eax, [esp + 12]            ; saved ESP = ESP before PUSHAD
        lea ecx, [esp + 32]
        sub eax, ecx
        mov ebx, [esp + 28]            ; EAX slot (highest)
        mov edx, [esp]                 ; EDI slot (lowest)
        mov dword [esp + 12], 0        ; POPAD ignores the ESP slot
        mov dword [esp + 4], 0x11112222 ; new ESI
        popad
        mov eax, esi
        pop edi
        stosd                          ; out[11] = 11112222
        mov eax, ecx
        stosd                          ; out[12] = c1c1c1c1
        mov eax, esp
        sub eax, ebp
        stosd                          ; out[13] = 0

        ; 5: PUSHA/POPA 16-bit
        mov eax, 0x0000aaaa
        mov ebx, 0xffffbbbb
        pushaw
        mov eax, ebp
        sub eax, esp
        stosd                          ; out[14] = 16
        movzx eax, word [esp + 8]      ; BX slot
        stosd                          ; out[15] = bbbb
        mov word [esp + 14], 0x7777    ; AX slot
        mov [esp], di                  ; DI slot: the output pointer moved on
        popaw
        stosd                          ; out[16] = eax (upper half kept: 0000 7777)

        ; 6: PUSHF/POPF 32 and 16
        push dword 0x00000cd7          ; OF DF SF ZF AF PF CF (IF and TF stay clear)
        popfd
        pushfd
        pop eax
        and eax, 0x00000cd7
        cld
        stosd                          ; out[17] = cd7
        push word 0x0001
        popfw
        pushfw
        pop ax
        movzx eax, ax
        stosd                          ; out[18] = 0003 (CF + reserved bit 1)
        push dword 2
        popfd

        ; 7: segment registers
        push ds
        push es
        push fs
        push gs
        push ss
        push cs
        mov eax, ebp
        sub eax, esp
        stosd                          ; out[19] = 24
        pop eax
        movzx eax, ax
        stosd                          ; out[20] = 8 (cs)
        pop eax
        movzx eax, ax
        stosd                          ; out[21] = 10 (ss)
        pop gs
        pop fs
        pop es
        pop ds
        mov ax, 0x28
        mov es, ax
        push es
        pop fs
        mov ax, fs
        movzx eax, ax
        stosd                          ; out[22] = 28
        mov ax, 0x10
        mov es, ax
        mov fs, ax
        push word 0x30
        o16 pop gs                     ; 16-bit pop of a segment register
        mov ax, gs
        movzx eax, ax
        stosd                          ; out[23] = 30
        mov ax, 0x10
        mov gs, ax

        ; 8: ENTER with nesting levels 0..3 and LEAVE
        push ebp
        mov ebp, 0x1000                ; a fake outer frame pointer
        mov esi, esp
        enter 16, 0
        mov eax, esi
        sub eax, esp
        stosd                          ; out[24] = 4 + 16
        mov eax, esi
        sub eax, ebp
        stosd                          ; out[25] = 4
        leave
        mov eax, esi
        sub eax, esp
        stosd                          ; out[26] = 0
        mov eax, ebp
        stosd                          ; out[27] = 1000

        ; nested: build an outer frame whose display we can check
        sub esp, 16
        mov dword [esp], 0xf0f0f0f0    ; outer display slots
        mov dword [esp + 4], 0xe0e0e0e0
        mov dword [esp + 8], 0xd0d0d0d0
        lea ebp, [esp + 12]            ; outer ebp points above its display
        mov esi, esp
        enter 8, 3
        ; layout: [ebp] = old ebp, [ebp-4],[ebp-8] copied from old ebp-4, ebp-8,
        ; [ebp-12] = new ebp; then 8 bytes of locals
        mov eax, esi
        sub eax, esp
        stosd                          ; out[28] = 4 + 8 + 4 + 8 = 24
        mov eax, [ebp - 4]
        stosd                          ; out[29] = d0d0d0d0
        mov eax, [ebp - 8]
        stosd                          ; out[30] = e0e0e0e0
        mov eax, [ebp - 12]
        sub eax, ebp
        stosd                          ; out[31] = 0 (frame pointer itself)
        leave
        mov eax, esi
        sub eax, esp
        stosd                          ; out[32] = 0
        add esp, 16
        mov esi, esp
        enter 4, 1
        mov eax, [ebp - 4]
        sub eax, ebp
        stosd                          ; out[33] = 0
        mov eax, esi
        sub eax, esp
        stosd                          ; out[34] = 12
        leave
        mov ebp, 0
        enter 0, 0
        mov eax, esp
        sub eax, ebp
        stosd                          ; out[35] = 0
        leave
        pop ebp

        ; 9: ESP back where it started
        mov eax, ebp
        sub eax, esp
        stosd                          ; out[36] = 0

        ; 10: PUSH m16 (66 FF /6), PUSH imm8 as 16 bits (66 6A), POP r32 (8F /0)
        mov word [mdst16], 0x4321
        push word [mdst16]
        push word -3
        pop eax                        ; both words at once: fffd then 4321
        stosd                          ; out[37] = 4321fffd
        push dword 0x600d
        db 0x8f, 0xc1                  ; pop ecx, the 8F /0 encoding
        mov eax, ecx
        stosd                          ; out[38] = 600d

        pop edi
        pop esi
        pop ebx
        pop ebp
        ret

section .note.GNU-stack noalloc noexec nowrite progbits
