module.exports = { ...require('../jest.preset.js')(__dirname), testTimeout: 20_000 };
