; smc: self-modifying code cases (the assembly half; smc.c prints).
; Each function returns in EAX a value that shows which version of the
; modified instruction ran.
bits 32
section .text

; 1. A store changes the immediate of an instruction further down the same
;    straight-line run before it executes: must return 0x22222222.
global smc_later
smc_later:
        mov dword [.target + 1], 0x22222222
        nop
        add ecx, 0
        nop
.target:
        mov eax, 0x11111111
        ret

; 2. A store changes the very next instruction: must return 0x0000beef.
global smc_next
smc_next:
        mov dword [.next + 1], 0x0000beef
.next:  mov eax, 0x0000dead
        ret

; 3. A store that turns the next instruction's opcode from INC into DEC
;    (40 -> 48): must return -1.
global smc_opcode
smc_opcode:
        xor eax, eax
        mov byte [.op], 0x48
.op:    inc eax
        ret

; restore the patched bytes so the tests can run twice
global smc_reset
smc_reset:
        mov dword [smc_later.target + 1], 0x11111111
        mov dword [smc_next.next + 1], 0x0000dead
        mov byte [smc_opcode.op], 0x40
        mov byte [smc_loop.add + 2], 1
        ret

; 4. A hot function, called many times (translated and chained) before its
;    immediate is patched from C.
global smc_hot
global smc_hot_imm
smc_hot:
        mov eax, 0x1
smc_hot_imm equ smc_hot + 1
        ret

; 5. A loop whose body patches its own ADD immediate at iteration 5:
;    the store follows the ADD in iteration 5, so iterations 1..5 add 1 and
;    6..10 add 100: sum = 505.
global smc_loop
smc_loop:
        push ebx
        xor eax, eax
        mov ecx, 10
.again:
.add:   add eax, byte 1
        cmp ecx, 6
        jne .skip
        mov byte [.add + 2], 100
.skip:  dec ecx
        jnz .again
        pop ebx
        ret

; 6. Code copied with REP MOVSB into a buffer and run, twice with different
;    code: returns (first << 16) | second = 0x00070009.
global smc_copy
smc_copy:
        push esi
        push edi
        mov esi, tmpl_a
        mov edi, code_buf
        mov ecx, tmpl_end - tmpl_a
        rep movsb
        call code_buf
        mov edx, eax
        mov esi, tmpl_b
        mov edi, code_buf
        mov ecx, tmpl_end - tmpl_b
        rep movsb
        call code_buf
        shl edx, 16
        or eax, edx
        pop edi
        pop esi
        ret

tmpl_a: mov eax, 7
        ret
tmpl_b: mov eax, 9
        ret
tmpl_end:

; 7. A store into the running block that rewrites an instruction already
;    executed in it: the current pass keeps the old result, the next pass
;    (a jump back) sees the new one.  Returns (pass1 << 8) | pass2 = 0x0102.
global smc_behind
smc_behind:
        push ebx
        xor edx, edx
        mov ecx, 2
.top:
.ins:   mov al, 1
        shl edx, 8
        movzx ebx, al
        or edx, ebx
        mov byte [.ins + 1], 2
        dec ecx
        jnz .top
        mov byte [.ins + 1], 1
        mov eax, edx
        pop ebx
        ret

; 8. A 16-bit store that spans two instructions (the tail of one immediate
;    and the opcode of the next): mov eax,0x11111111 ; inc eax  becomes
;    mov eax,0x33111111 ; dec eax -> 0x33111110.
global smc_span
smc_span:
        mov word [.a + 4], 0x4833
.a:     mov eax, 0x11111111
        inc eax
        mov word [.a + 4], 0x4011
        ret

; 9. REP MOVSB rewrites an instruction further down its own block: the
;    string copy is a store into the running block.  Returns 0x44444444.
global smc_repmovs
smc_repmovs:
        push esi
        push edi
        mov esi, .new
        mov edi, .target
        mov ecx, 5
        cld
        rep movsb
.target:
        mov eax, 0x33333333
        pop edi
        pop esi
        ret
.new:   mov eax, 0x44444444
global smc_repmovs_reset
smc_repmovs_reset:
        mov dword [smc_repmovs.target + 1], 0x33333333
        ret

; 10. Called through a pointer (an indirect branch, so a jump cache may
;     hold it), then patched.
global smc_indirect_target
smc_indirect_target:
        mov eax, 100
        ret

section .data
align 16
code_buf: times 64 db 0xcc

section .note.GNU-stack noalloc noexec nowrite progbits
