-- A CSV upload's detected schema (delimiter, quote, header, rows, columns and their types) as JSON, for dl4j
-- jobs; null for a plain text upload.
alter table dataset add column tabular_schema varchar(1000000);
