// The 16 expectations of the Todo-Backend spec (todobackend.com, "TodoBackend/todo-backend-js-spec"),
// stated again in our own words, one `it` per expectation of the upstream spec and under its title.
// As the upstream runner does, every request is cross-origin and says `Content-Type: application/json`
// (so each one is preflighted), and any status outside 2xx fails the expectation.

async function send(method, url, data) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json" },
      body: data === undefined ? undefined : JSON.stringify(data),
    });
  } catch (error) {
    throw new Error(`${method} ${url} failed in the browser (network or CORS): ${error}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  }
  return text;
}

function json(text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Could not parse the response as JSON: ${text}`);
  }
}

function defineSpecsFor(apiRoot) {
  const getJson = async (url) => json(await send("GET", url));
  const postRoot = async (data) => json(await send("POST", apiRoot, data));
  const patchJson = async (url, data) => json(await send("PATCH", url, data));
  const deleteRoot = () => send("DELETE", apiRoot);
  const createFreshTodoAndGetItsUrl = async (params) => (await postRoot({ title: "blah", ...params })).url;

  describe(`Todo-Backend API residing at ${apiRoot}`, () => {
    describe("the pre-requisites", () => {
      it("the api root responds to a GET (i.e. the server is up and accessible, CORS headers are set up)", async () => {
        await send("GET", apiRoot);
      });

      it("the api root responds to a POST with the todo which was posted to it", async () => {
        expect(await postRoot({ title: "a todo" })).to.have.property("title", "a todo");
      });

      it("the api root responds successfully to a DELETE", async () => {
        await deleteRoot();
      });

      it("after a DELETE the api root responds to a GET with a JSON representation of an empty array", async () => {
        await deleteRoot();
        expect(await getJson(apiRoot)).to.deep.equal([]);
      });
    });

    describe("storing new todos by posting to the root url", () => {
      beforeEach(deleteRoot);

      it("adds a new todo to the list of todos at the root url", async () => {
        await postRoot({ title: "walk the dog" });
        const todos = await getJson(apiRoot);
        expect(todos).to.have.length(1);
        expect(todos[0]).to.have.property("title", "walk the dog");
      });

      async function createTodoAndVerifyItLooksValidWith(verify) {
        verify(await postRoot({ title: "blah" }));
        verify((await getJson(apiRoot))[0]);
      }

      it("sets up a new todo as initially not completed", () =>
        createTodoAndVerifyItLooksValidWith((todo) => expect(todo).to.have.property("completed", false)));

      it("each new todo has a url", () =>
        createTodoAndVerifyItLooksValidWith((todo) => expect(todo).to.have.property("url").that.is.a("string")));

      it("each new todo has a url, which returns a todo", async () => {
        const created = await postRoot({ title: "my todo" });
        expect(await getJson(created.url)).to.have.property("title", "my todo");
      });
    });

    describe("working with an existing todo", () => {
      beforeEach(deleteRoot);

      it("can navigate from a list of todos to an individual todo via urls", async () => {
        // Both at once, as the upstream spec sends them.
        await Promise.all([postRoot({ title: "todo the first" }), postRoot({ title: "todo the second" })]);
        const todos = await getJson(apiRoot);
        expect(todos).to.have.length(2);
        expect(await getJson(todos[0].url)).to.have.property("title");
      });

      it("can change the todo's title by PATCHing to the todo's url", async () => {
        const url = await createFreshTodoAndGetItsUrl({ title: "initial title" });
        expect(await patchJson(url, { title: "bathe the cat" })).to.have.property("title", "bathe the cat");
      });

      it("can change the todo's completedness by PATCHing to the todo's url", async () => {
        const url = await createFreshTodoAndGetItsUrl();
        expect(await patchJson(url, { completed: true })).to.have.property("completed", true);
      });

      it("changes to a todo are persisted and show up when re-fetching the todo", async () => {
        const patched = await patchJson(await createFreshTodoAndGetItsUrl(), {
          title: "changed title",
          completed: true,
        });
        const verify = (todo) => {
          expect(todo).to.have.property("completed", true);
          expect(todo).to.have.property("title", "changed title");
        };
        const [refetched, todos] = await Promise.all([getJson(patched.url), getJson(apiRoot)]);
        verify(refetched);
        expect(todos).to.have.length(1);
        verify(todos[0]);
      });

      it("can delete a todo making a DELETE request to the todo's url", async () => {
        await send("DELETE", await createFreshTodoAndGetItsUrl());
        expect(await getJson(apiRoot)).to.be.empty;
      });
    });

    describe("tracking todo order", () => {
      it("can create a todo with an order field", async () => {
        expect(await postRoot({ title: "blah", order: 523 })).to.have.property("order", 523);
      });

      it("can PATCH a todo to change its order", async () => {
        const url = await createFreshTodoAndGetItsUrl({ order: 10 });
        expect(await patchJson(url, { order: 95 })).to.have.property("order", 95);
      });

      it("remembers changes to a todo's order", async () => {
        const patched = await patchJson(await createFreshTodoAndGetItsUrl({ order: 10 }), { order: 95 });
        expect(await getJson(patched.url)).to.have.property("order", 95);
      });
    });
  });
}
