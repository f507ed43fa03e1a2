-- One database per service (the same ones infra/ creates on this machine).
CREATE DATABASE echopulse_server;
CREATE DATABASE echopulse_chat;
