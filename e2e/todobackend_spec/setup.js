// Mocha's BDD interface, as the todobackend.com spec runner sets it up.
mocha.setup({ ui: "bdd", slow: 5000, timeout: 30000 });
window.expect = chai.expect;
