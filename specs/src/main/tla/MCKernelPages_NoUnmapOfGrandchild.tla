----------------- MODULE MCKernelPages_NoUnmapOfGrandchild -----------------
\* Witness: an unmap flushes a grandchild of the unmapped page.
\* The model of MCKernelPages, checking only that this
\* never happens; the manifest expects NoUnmapOfGrandchild violated.
EXTENDS MCKernelPages
=============================================================================
