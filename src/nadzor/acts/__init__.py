"""Acts of supervision (Instruction chapter 3): act types as administrator data, origins and links, the
superior review routed by zone (I.68), the I.59 totals, the I.64 register and the I.67 data-bank queue."""
