@echo off
rem Run the nightly job once over the firm's workbooks (called by Windows Task Scheduler).
rem   MOPS_WORKBOOKS  the folder of the workbooks (required; set it for the task's user)
rem   MOPS_BIN        the mops command (default: mops on PATH)
rem The exit code is mops nightly's; the journal is read with: mops runs "%MOPS_WORKBOOKS%"
setlocal
if "%MOPS_WORKBOOKS%"=="" (
    echo set MOPS_WORKBOOKS to the folder of the workbooks 1>&2
    exit /b 2
)
if "%MOPS_BIN%"=="" set MOPS_BIN=mops
if "%MOPS_CONFIG%"=="" if exist "%MOPS_WORKBOOKS%\mops.toml" set MOPS_CONFIG=%MOPS_WORKBOOKS%\mops.toml
cd /d "%MOPS_WORKBOOKS%"
%MOPS_BIN% nightly "%MOPS_WORKBOOKS%"
exit /b %ERRORLEVEL%
