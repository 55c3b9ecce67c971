export * from "./enums";
export * from "./calls";
export * from "./users";
export * from "./organisations";
export * from "./applications";
export * from "./audit";
export * from "./mails";
export * from "./instruction";
