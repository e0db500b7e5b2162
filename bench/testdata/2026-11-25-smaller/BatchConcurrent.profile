== bench/testdata/2026-11-25-smaller/profile.sh BatchConcurrent/reqcache
   442101  total
   202357  stack growth
    70834  other
    68251  scheduler
    42029  reqcache
    36551  allocation
    22079  garbage collector
== bench/testdata/2026-11-25-smaller/profile.sh BatchConcurrent/dataloadgen
   338954  total
   110626  stack growth
    98183  other
    73702  scheduler
    37415  allocation
    19029  garbage collector
== bench/testdata/2026-11-25-smaller/profile.sh BatchConcurrent/goroutines
   146600  total
    50248  scheduler
    43846  other
    24767  allocation
    15568  stack growth
    12170  garbage collector
