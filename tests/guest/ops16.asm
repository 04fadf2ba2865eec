; ops16: 16-bit operand and address sizes in 32-bit protected mode through
; the 66 and 67 prefixes (the assembly half; ops16.c prints).  16-bit
; addresses wrap at 64 KiB, so the table the test reads lives at 0x7000.
bits 32
section .text
global ops16_run
; void ops16_run(uint32_t *out)
ops16_run:
        push ebp
        push ebx
        push esi
        push edi
        mov edi, [esp + 20]
        ; a table at 0x7000 reachable with 16-bit addresses
        mov dword [0x7000], 0x33221100
        mov dword [0x7004], 0x77665544
        mov dword [0x7008], 0xbbaa9988
        mov dword [0x700c], 0xffeeddcc

        ; 66: 16-bit arithmetic keeps the upper halves
        mov eax, 0x1234ffff
        add ax, 1                      ; 66 83 /0
        mov [edi], eax                 ; 12340000
        mov ebx, 0xaaaa8000
        neg bx
        mov [edi + 4], ebx             ; aaaa8000
        mov ecx, 0x00010003
        imul cx, cx, 0x4000            ; 66 69: 0xc000 low
        mov [edi + 8], ecx
        mov edx, 0x55550000
        mov eax, 0x66660010
        mov bx, 3
        div bx                         ; DX:AX = 0:0x10 / 3
        mov [edi + 12], eax
        mov [edi + 16], edx

        ; 67: 16-bit addressing forms
        xor ebx, ebx
        xor esi, esi
        mov bx, 0x7000
        mov si, 4
        mov eax, [bx + si]             ; 77665544
        mov [edi + 20], eax
        xor ecx, ecx
        mov cx, 8
        push edi
        xor edi, edi
        mov di, cx
        mov eax, [bx + di + 4]         ; ffeeddcc
        pop edi
        mov [edi + 24], eax
        xor ebp, ebp
        mov bp, 0x7002
        mov ax, [bp + si]              ; [ss:bp+si] = 0x5544 -> with upper kept
        mov [edi + 28], eax
        mov ax, [0x7006]               ; 66 with a 32-bit displacement
        movzx eax, ax
        mov [edi + 32], eax            ; 7766
        mov bx, 0xfff8
        mov si, 0x7008 + 8             ; bx + si wraps to 0x7008
        mov eax, [bx + si]
        mov [edi + 36], eax            ; bbaa9988
        lea ax, [bx + si + 4]          ; a16 lea wraps
        movzx eax, ax
        mov [edi + 40], eax            ; 700c
        a16 mov al, [0x7001]           ; 67 A0 moffs16
        movzx eax, al
        mov [edi + 44], eax            ; 11

        ; 66 + 67 together, and a 16-bit string op with 16-bit addressing
        mov si, 0x7000
        o16 a16 lodsw
        movzx eax, ax
        mov [edi + 48], eax            ; 1100
        movzx eax, si
        mov [edi + 52], eax            ; 7002
        xor ecx, ecx
        mov cx, 2
        push edi
        xor edi, edi
        mov di, 0x7010
        mov ax, 0xabcd
        a16 rep stosw                  ; CX counts, DI advances
        movzx eax, di
        pop edi
        mov [edi + 56], eax            ; 7014
        mov eax, [0x7010]
        mov [edi + 60], eax            ; abcdabcd

        ; flags of a 16-bit subtraction
        mov ax, 0x8000
        sub ax, 1
        pushfd
        pop eax
        and eax, 0x8d5
        mov [edi + 64], eax            ; OF AF PF: 0x814

        pop edi
        pop esi
        pop ebx
        pop ebp
        ret

section .note.GNU-stack noalloc noexec nowrite progbits
