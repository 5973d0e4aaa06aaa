import TransformerMath

/// Reads the matrices the compute commands take, with errors that name the file and its role.
enum MatrixInput {
    /// A 2-D matrix of finite numbers from a .npy/.npz/.json/.csv file.
    static func load(_ path: String, role: String) throws -> Matrix {
        let tensor = try TensorFile.read(path: path, array: nil).tensor
        guard tensor.rank == 2 else {
            throw InputError.shape(file: path, reason: "\(role) must be a 2-D matrix, but the file holds shape \(tensor.shapeDescription)")
        }
        if let bad = tensor.firstNonFinite() { throw InputError.nonFinite(file: path, index: bad.index, value: bad.value) }
        return tensor.matrix(at: [])
    }

    /// A 1-D vector of finite numbers (a `[1, m]` or `[m, 1]` matrix is accepted too).
    static func loadVector(_ path: String, role: String) throws -> [Double] {
        let tensor = try TensorFile.read(path: path, array: nil).tensor
        guard tensor.rank == 1 || (tensor.rank == 2 && (tensor.shape[0] == 1 || tensor.shape[1] == 1)) else {
            throw InputError.shape(file: path, reason: "the \(role) must be a 1-D array, but the file holds shape \(tensor.shapeDescription)")
        }
        if let bad = tensor.firstNonFinite() { throw InputError.nonFinite(file: path, index: bad.index, value: bad.value) }
        return tensor.values
    }
}
