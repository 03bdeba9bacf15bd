package dev.trainyard.accounts.web;

import dev.trainyard.accounts.Role;

/** What the account and admin pages post. Plain beans, so a rejected value can be shown again. */
final class AccountForms {

    private AccountForms() {
    }

    static class NewToken {
        private String name;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    static class PasswordChange {
        private String current;
        private String next;

        public String getCurrent() {
            return current;
        }

        public void setCurrent(String current) {
            this.current = current;
        }

        public String getNext() {
            return next;
        }

        public void setNext(String next) {
            this.next = next;
        }
    }

    static class NewUser {
        private String username;
        private String password;
        private Role role = Role.MEMBER;

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Role getRole() {
            return role;
        }

        public void setRole(Role role) {
            this.role = role;
        }
    }
}
