// `testTimeout` in a project's config is ignored when jest runs from the root with projects;
// a set-up file applies it to this project's tests either way. Real servers, real round trips.
jest.setTimeout(60_000);
