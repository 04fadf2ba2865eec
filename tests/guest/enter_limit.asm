; enter_limit: ENTER on a stack segment whose limit the final stack
; pointer would cross (see enter_limit.c). enter_run loads SS, ESP and EBP,
; runs one ENTER form and stores EBP and ESP after it; a fault's handler
; resumes at enter_resume, where the same happens.
bits 32

section .text
; void enter_run(uint32_t ss, uint32_t esp, uint32_t ebp, uint32_t form,
;                uint32_t *out)     out[0] = EBP after, out[1] = ESP after
global enter_run
global enter_resume
enter_run:
        pushad
        mov [saved_esp], esp
        mov ebx, [esp + 36]            ; SS
        mov eax, [esp + 40]            ; ESP to use
        mov edx, [esp + 44]            ; EBP to use
        mov ecx, [esp + 48]            ; form
        mov edi, [esp + 52]            ; out
        mov ss, bx
        mov esp, eax
        mov ebp, edx
        jmp [forms + ecx * 4]
.f0:    enter 0x1004, 0
        jmp enter_resume
.f1:    enter 0xffc, 0
        jmp enter_resume
.f2:    enter 0xff4, 3
        jmp enter_resume
.f3:    enter 0xff0, 3
        jmp enter_resume
.f4:    o16 enter 0x1000, 0
        jmp enter_resume
.f5:    o16 enter 0xffe, 0
        jmp enter_resume
.f6:    enter 0x1000, 0
        jmp enter_resume
enter_resume:
        mov [edi], ebp
        mov [edi + 4], esp
        mov ax, 0x10
        mov ss, ax
        mov esp, [saved_esp]
        popad
        ret

section .data
forms:  dd enter_run.f0, enter_run.f1, enter_run.f2, enter_run.f3
        dd enter_run.f4, enter_run.f5, enter_run.f6
saved_esp: dd 0

section .note.GNU-stack noalloc noexec nowrite progbits
