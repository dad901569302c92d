# cmake -DPROGRAM=... -DARGS=a;b -DEXPECT_EXIT=N [-DEXPECT_STDOUT=regex] [-DEXPECT_STDERR=regex]
# [-DREMOVE=file] -P run_cli.cmake: removes REMOVE (a database from an earlier run), runs the
# program and fails unless exit code and outputs match.
if(DEFINED REMOVE AND NOT REMOVE STREQUAL "")
  file(REMOVE "${REMOVE}" "${REMOVE}-wal" "${REMOVE}-shm")
endif()
execute_process(COMMAND "${PROGRAM}" ${ARGS} RESULT_VARIABLE status OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
set(problems "")
if(NOT status STREQUAL EXPECT_EXIT)
  string(APPEND problems "exit code ${status}, expected ${EXPECT_EXIT}\n")
endif()
if(DEFINED EXPECT_STDOUT AND NOT EXPECT_STDOUT STREQUAL "" AND NOT out MATCHES "${EXPECT_STDOUT}")
  string(APPEND problems "stdout does not match /${EXPECT_STDOUT}/\n")
endif()
if(DEFINED EXPECT_STDERR AND NOT EXPECT_STDERR STREQUAL "" AND NOT err MATCHES "${EXPECT_STDERR}")
  string(APPEND problems "stderr does not match /${EXPECT_STDERR}/\n")
endif()
if(problems)
  message(FATAL_ERROR "${PROGRAM} ${ARGS}\n${problems}--- stdout\n${out}--- stderr\n${err}")
endif()
