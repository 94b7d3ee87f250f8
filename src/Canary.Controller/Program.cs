// Entry point of the controller host; composed in Hosting/ (filled by the runtime issue).
return 0;
