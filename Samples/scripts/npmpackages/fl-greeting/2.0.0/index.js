module.exports = function hello(name, greeting = "hello") {
  return greeting + ", " + name;
};
